//! `beraad serve`'s sign-in options: password sign-in on or off, and single sign-on with an
//! OpenID provider (docs/sso.md). The client secret comes from a file or the environment,
//! never from the command line (where `ps` would show it).

use clap::Args;

use crate::config::{self, ConfigError, OidcConfig, SignInConfig};

/// The environment variable that may hold the client secret.
pub const CLIENT_SECRET_ENV: &str = "BERAAD_OIDC_CLIENT_SECRET";

#[derive(Debug, Args)]
pub struct SignInArgs {
    /// Whether people can sign in with an e-mail address and password (on, off). Off needs
    /// --oidc-issuer: the sign-in page then only offers the organisation's account.
    #[arg(long, env = "BERAAD_PASSWORD_SIGN_IN", default_value = "on", value_parser = ["on", "off"])]
    pub password_sign_in: String,
    /// The OpenID provider's issuer URL (e.g. https://login.microsoftonline.com/<tenant>/v2.0);
    /// single sign-on is off without it.
    #[arg(long, env = "BERAAD_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// Beraad's client id at the provider.
    #[arg(long, env = "BERAAD_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client secret (one line); or set BERAAD_OIDC_CLIENT_SECRET.
    #[arg(long, env = "BERAAD_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<std::path::PathBuf>,
    /// Scopes to ask for, space- or comma-separated (openid is always asked).
    #[arg(long, env = "BERAAD_OIDC_SCOPES", default_value = "openid email profile")]
    pub oidc_scopes: String,
    /// The role of someone the provider knows and Beraad does not, made on their first
    /// sign-in: admin, moderator, member, archive_reader, or none (refuse them).
    #[arg(long, env = "BERAAD_OIDC_DEFAULT_ROLE", default_value = "none")]
    pub oidc_default_role: String,
    /// The ID-token claim that holds groups or roles (e.g. groups), for --oidc-role-map.
    #[arg(long, env = "BERAAD_OIDC_ROLE_CLAIM")]
    pub oidc_role_claim: Option<String>,
    /// VALUE=ROLE: people whose role claim holds VALUE get ROLE (the strongest match wins);
    /// repeat it or separate entries with commas.
    #[arg(long, env = "BERAAD_OIDC_ROLE_MAP", value_delimiter = ',')]
    pub oidc_role_map: Vec<String>,
}

impl SignInArgs {
    /// The checked configuration; the secret from the file or [`CLIENT_SECRET_ENV`].
    pub fn config(&self) -> Result<SignInConfig, ConfigError> {
        let password = self.password_sign_in == "on";
        let Some(raw_issuer) = self.oidc_issuer.as_deref().filter(|i| !i.trim().is_empty()) else {
            if !password {
                return Err(ConfigError::NoWayToSignIn);
            }
            return Ok(SignInConfig { password, oidc: None });
        };
        let issuer = config::issuer(raw_issuer)?;
        let client_id =
            self.oidc_client_id.clone().filter(|c| !c.trim().is_empty()).ok_or(ConfigError::NoClientId)?;
        let client_secret = match &self.oidc_client_secret_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::ClientSecretFile(path.display().to_string(), e.to_string()))?
                    .trim()
                    .to_owned(),
            ),
            None => std::env::var(CLIENT_SECRET_ENV).ok(),
        }
        .filter(|s| !s.is_empty());
        let role_map = config::role_map(&self.oidc_role_map)?;
        let role_claim = self.oidc_role_claim.clone().filter(|c| !c.trim().is_empty());
        if !role_map.is_empty() && role_claim.is_none() {
            return Err(ConfigError::RoleMapWithoutClaim);
        }
        let scopes = self
            .oidc_scopes
            .split([' ', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "openid")
            .map(str::to_owned)
            .collect();
        Ok(SignInConfig {
            password,
            oidc: Some(OidcConfig {
                issuer,
                client_id,
                client_secret,
                scopes,
                default_role: config::default_role(&self.oidc_default_role)?,
                role_claim,
                role_map,
            }),
        })
    }
}
