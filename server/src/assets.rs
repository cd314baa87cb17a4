//! Files under `web/` compiled into the release binary, so it runs from any directory.
//! (Debug builds read them from disk, so template edits show without a rebuild.)

#[derive(rust_embed::RustEmbed)]
#[folder = "web/templates/"]
pub struct Templates;

#[derive(rust_embed::RustEmbed)]
#[folder = "web/static/"]
pub struct Static;

#[derive(rust_embed::RustEmbed)]
#[folder = "web/locales/"]
pub struct Locales;
