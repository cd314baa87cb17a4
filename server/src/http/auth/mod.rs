//! Accounts on the web: sign-in and sign-out, the one-time set-up and invite links, the
//! session cookie, CSRF and origin checks (`context.rs`, one middleware for every request), and
//! the `CurrentUser` extractor. `docs/security.md` describes the rules.

mod account_link;
mod allowed;
pub mod api_token;
mod context;
mod cookie;
mod current_user;
mod invite_accept;
mod oidc;
mod oidc_people;
pub mod oidc_provider;
mod origin;
mod page_request;
pub use origin::origin_matches;
pub mod pages;
mod setup;
mod sign_in;
mod web_session;

use crate::http::routes::Route;

pub use allowed::{Allowed, ApprovePrecedent, ManagePeople, ManageSettings, Permission, ReadAudit};
pub use context::{authenticate, AuthContext, SignedIn};
pub use cookie::read as read_cookie;
pub use cookie::{PLAIN_NAME as COOKIE_NAME, SECURE_NAME as SECURE_COOKIE_NAME};
pub use current_user::{access_role, CurrentUser, SignInRequired};
pub use sign_in::account_key;

pub fn routes() -> Vec<Route> {
    [sign_in::routes(), oidc::routes(), account_link::routes()].concat()
}
