//! The HTTP server's own loop: accept TCP connections within caps, serve HTTP/1.1 on each with
//! a header-read timeout (which is also the keep-alive idle timeout), hand websocket upgrades
//! over, and close gracefully on shutdown.

pub mod caps;
mod serve;
pub mod trusted_proxies;

pub use serve::serve;
pub use trusted_proxies::TrustedProxies;
