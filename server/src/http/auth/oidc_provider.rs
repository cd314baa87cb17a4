//! The OpenID provider as Beraad sees it: its discovery document and keys (fetched, and kept
//! for [`METADATA_TTL`]), the client made from them, the code exchange and the ID token's
//! validation. What goes wrong is a [`Failure`] with a stable code; no token ever reaches a
//! log line or a message.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, Client, ClientId, ClientSecret,
    EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl, SignatureVerificationError,
    StandardErrorResponse, StandardTokenResponse, TokenResponse as _,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::config::OidcConfig;

/// How long the discovery document and the provider's keys are kept before they are fetched
/// again (a key the provider starts using before then is fetched at once: see [`Provider::validate`]).
pub const METADATA_TTL: Duration = Duration::from_secs(10 * 60);
/// How long a request to the provider may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
/// The path the provider sends people back to (the redirect URI registered there).
pub const CALLBACK_PATH: &str = "/inloggen/oidc/terug";

/// Every claim of the ID token, for the configurable role claim (`--oidc-role-claim`) and
/// Entra ID's `xms_edov`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub all: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type TokenFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type OidcTokenResponse = StandardTokenResponse<TokenFields, CoreTokenType>;
pub type IdTokenClaims = openidconnect::IdTokenClaims<OtherClaims, CoreGenderClaim>;

/// The client, with the endpoints discovery gives.
pub type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    OidcTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-in through the provider failed: a stable code (`auth.oidc.error.<code>` in the
/// locales, the audit entry's target `oidc:<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The provider cannot be reached, or its discovery document is not valid.
    Unreachable,
    /// The state is unknown, used, expired or of another browser.
    State,
    /// The provider answered the sign-in with an error (e.g. the person cancelled).
    Denied,
    /// The answer names another issuer (`iss`), or lacks the code.
    Response,
    /// The code could not be exchanged for tokens.
    Exchange,
    /// No ID token in the answer.
    NoIdToken,
    /// The ID token's signature does not verify with the provider's keys.
    Signature,
    /// The ID token is for another client.
    Audience,
    /// The ID token has expired.
    Expired,
    /// The ID token is from another issuer.
    Issuer,
    /// The ID token's nonce is not the one sent.
    Nonce,
    /// Anything else wrong with the ID token.
    InvalidToken,
}

impl Failure {
    pub fn code(self) -> &'static str {
        match self {
            Self::Unreachable => "unreachable",
            Self::State => "state",
            Self::Denied => "denied",
            Self::Response => "response",
            Self::Exchange => "exchange",
            Self::NoIdToken => "no_id_token",
            Self::Signature => "signature",
            Self::Audience => "audience",
            Self::Expired => "expired",
            Self::Issuer => "issuer",
            Self::Nonce => "nonce",
            Self::InvalidToken => "invalid_token",
        }
    }

    fn of_claims(e: &ClaimsVerificationError) -> Self {
        match e {
            ClaimsVerificationError::Expired(_) => Self::Expired,
            ClaimsVerificationError::InvalidAudience(_) => Self::Audience,
            ClaimsVerificationError::InvalidIssuer(_) => Self::Issuer,
            ClaimsVerificationError::InvalidNonce(_) => Self::Nonce,
            ClaimsVerificationError::SignatureVerification(_) => Self::Signature,
            _ => Self::InvalidToken,
        }
    }
}

/// What discovery found, kept for a while.
struct Discovered {
    at: Instant,
    client: OidcClient,
    end_session: Option<EndSessionUrl>,
}

/// The configured provider.
pub struct Provider {
    pub config: OidcConfig,
    redirect: RedirectUrl,
    http: reqwest::Client,
    discovered: Mutex<Option<Arc<Discovered>>>,
    /// The Content-Security-Policy that lets the sign-out form lead on to the provider.
    pub csp: axum::http::HeaderValue,
}

impl Provider {
    /// The provider of `config`; nothing is fetched until the first sign-in.
    pub fn new(config: OidcConfig, base_url: &url::Url) -> anyhow::Result<Provider> {
        let redirect = RedirectUrl::from_url(base_url.join(CALLBACK_PATH)?);
        // No redirects: a provider's endpoints answer themselves (and a redirect could lead
        // the server elsewhere).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()?;
        let origin = url::Url::parse(&config.issuer)?.origin().ascii_serialization();
        let csp = crate::http::security_headers::csp_with_form_target(&origin);
        Ok(Provider { config, redirect, http, discovered: Mutex::new(None), csp })
    }

    /// The issuer as configured (what identities are stored under).
    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    async fn discovered(&self, fresh: bool) -> Result<Arc<Discovered>, Failure> {
        let mut cached = self.discovered.lock().await;
        if let Some(d) = cached.as_ref().filter(|d| !fresh && d.at.elapsed() < METADATA_TTL) {
            return Ok(d.clone());
        }
        let issuer = IssuerUrl::new(self.issuer().to_owned()).map_err(|_| Failure::Unreachable)?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http).await.map_err(|e| {
            tracing::warn!(error = %e, "the OpenID provider's discovery failed");
            Failure::Unreachable
        })?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let secret = self.config.client_secret.clone().map(ClientSecret::new);
        let client = OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            secret,
        )
        .set_redirect_uri(self.redirect.clone());
        let found = Arc::new(Discovered { at: Instant::now(), client, end_session });
        *cached = Some(found.clone());
        Ok(found)
    }

    /// The client, from the kept (or a fresh) discovery.
    pub async fn client(&self) -> Result<OidcClient, Failure> {
        Ok(self.discovered(false).await?.client.clone())
    }

    /// The provider's logout endpoint, when it offers one (RP-initiated logout).
    pub async fn end_session(&self) -> Option<EndSessionUrl> {
        self.discovered(false).await.ok()?.end_session.clone()
    }

    /// Exchanges the code (with the PKCE verifier) and validates the ID token: signature with
    /// the provider's keys, issuer, audience, expiry, nonce. A token signed with a key not yet
    /// known is checked once more after fetching the keys again (the provider rotated them).
    pub async fn sign_in(
        &self,
        code: String,
        verifier: String,
        nonce: &str,
    ) -> Result<IdTokenClaims, Failure> {
        let client = self.client().await?;
        let request = client.exchange_code(AuthorizationCode::new(code)).map_err(|_| Failure::Exchange)?;
        let response = request
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                // The error names the kind of failure and the provider's error code; never a token.
                tracing::warn!(error = %e, "the OpenID provider refused the code exchange");
                Failure::Exchange
            })?;
        let token = response.id_token().ok_or(Failure::NoIdToken)?;
        let nonce = Nonce::new(nonce.to_owned());
        match verify(token, &client, &nonce) {
            Ok(claims) => Ok(claims),
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                let fresh = self.discovered(true).await?;
                verify(token, &fresh.client, &nonce).map_err(|e| rejected(&e))
            }
            Err(e) => Err(rejected(&e)),
        }
    }
}

type IdToken = openidconnect::IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The token's claims once its signature, issuer, audience, expiry and nonce check out.
fn verify(
    token: &IdToken,
    client: &OidcClient,
    nonce: &Nonce,
) -> Result<IdTokenClaims, ClaimsVerificationError> {
    let verifier = client.id_token_verifier();
    token.claims(&verifier, nonce).cloned()
}

fn rejected(e: &ClaimsVerificationError) -> Failure {
    let failure = Failure::of_claims(e);
    tracing::warn!(reason = failure.code(), error = %e, "an ID token was refused");
    failure
}
