//! The route table: every route of the server as one row — method, path, the rule that guards it
//! ([`Rule`], see `authz/`) and its handler. Each feature module lists its own rows in a `routes()`
//! beside its handlers; [`table`] puts them together, and the router is built from the table
//! and from nothing else ([`router`]), so a route cannot exist without a rule and the router and
//! the rules cannot drift apart. A row without a rule does not compile; a route added around the
//! table (a `.route(…)` on the router itself) is refused by `authz::enforce` (deny by default,
//! tests/integration/authz.rs).

use std::sync::Arc;

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{self, MethodFilter, MethodRouter};
use axum::Router;

use crate::app::AppState;
use crate::http::authz::Rule;

/// One route: `method` on `path` (an axum path pattern), allowed by `rule`, answered by the handler.
#[derive(Clone)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub rule: Rule,
    handler: MethodRouter<Arc<AppState>>,
}

impl Route {
    /// `GET` (and `HEAD`) on `path`.
    pub fn get<H: Handler<T, Arc<AppState>>, T: 'static>(path: &'static str, rule: Rule, h: H) -> Route {
        Route::on(Method::GET, path, rule, h)
    }

    pub fn post<H: Handler<T, Arc<AppState>>, T: 'static>(path: &'static str, rule: Rule, h: H) -> Route {
        Route::on(Method::POST, path, rule, h)
    }

    pub fn put<H: Handler<T, Arc<AppState>>, T: 'static>(path: &'static str, rule: Rule, h: H) -> Route {
        Route::on(Method::PUT, path, rule, h)
    }

    pub fn delete<H: Handler<T, Arc<AppState>>, T: 'static>(path: &'static str, rule: Rule, h: H) -> Route {
        Route::on(Method::DELETE, path, rule, h)
    }

    fn on<H: Handler<T, Arc<AppState>>, T: 'static>(
        method: Method,
        path: &'static str,
        rule: Rule,
        h: H,
    ) -> Route {
        let filter = MethodFilter::try_from(method.clone()).expect("GET, POST, PUT or DELETE");
        Route { method, path, rule, handler: routing::on(filter, h) }
    }
}

/// Every route of the server.
pub fn table() -> Vec<Route> {
    use super::*;
    [
        health::routes(),
        home::routes(),
        method_library::routes(),
        static_files::routes(),
        auth::routes(),
        admin::routes(),
        approvals::routes(),
        session_new::routes(),
        room::routes(),
        ws::routes(),
        api::routes(),
        practice::routes(),
        archive_page::routes(),
        precedent_page::routes(),
        rhythm::routes(),
    ]
    .concat()
}

/// The router of `table`: the rows of one path share its method router, so another method on
/// a known path is answered 405 (with `Allow`), and a method listed twice for one path stops
/// the server at start (axum refuses overlapping method routes).
pub fn router(table: Vec<Route>) -> Router<Arc<AppState>> {
    table.into_iter().fold(Router::new(), |router, route| router.route(route.path, route.handler))
}
