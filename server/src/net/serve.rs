//! The accept loop. It replaces `axum::serve`, which installs no hyper timer, so a socket that
//! sends half a request (or nothing, or idles on keep-alive) would be held forever.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::caps::{ConnectionCaps, Counted};
use super::TrustedProxies;
use crate::config::ConnectionLimits;

/// Serves `router` on `listener` until `shutdown` is cancelled, then lets open HTTP connections
/// finish their request (websockets are closed by their own tasks) within `drain`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    proxies: TrustedProxies,
    shutdown: CancellationToken,
    drain: Duration,
) -> std::io::Result<()> {
    let caps = ConnectionCaps::new(limits.max_connections, limits.max_connections_per_address);
    let mut http1 = hyper::server::conn::http1::Builder::new();
    // The header-read timeout runs from the moment the server waits for a request head: on a
    // new connection, and again after each answer on a kept-alive one. So it closes a socket
    // that sends nothing, half a request, or idles between requests.
    http1.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    let connections = TaskTracker::new();
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = shutdown.cancelled() => break,
        };
        let slot = match caps.admit(remote.ip()) {
            Ok(slot) => slot,
            Err(refused) => {
                tracing::warn!(client = %remote.ip(), ?refused, "connection refused: too many open connections");
                drop(tcp);
                continue;
            }
        };
        // Small frames (acks right after events) must not wait for Nagle's algorithm.
        let _ = tcp.set_nodelay(true);
        let io = TokioIo::new(Counted::new(tcp, slot));
        let service = hyper::service::service_fn(connect_info(router.clone(), remote, proxies.clone()));
        let conn = http1.serve_connection(io, service).with_upgrades();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                () = shutdown.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    connections.close();
    if tokio::time::timeout(drain, connections.wait()).await.is_err() {
        tracing::warn!("HTTP connections still open at shutdown");
    }
    Ok(())
}

/// The router as a hyper service that gives handlers the client's address (`ConnectInfo`):
/// the peer's, or behind a trusted proxy the one it forwarded (`trusted_proxies.rs`).
fn connect_info(
    router: Router,
    remote: SocketAddr,
    proxies: TrustedProxies,
) -> impl Fn(
    axum::http::Request<Incoming>,
) -> <Router as tower_service::Service<axum::http::Request<Incoming>>>::Future
       + Clone {
    move |mut request| {
        let client = if proxies.is_empty() {
            remote
        } else {
            SocketAddr::new(proxies.client_address(remote.ip(), request.headers()), remote.port())
        };
        request.extensions_mut().insert(ConnectInfo(client));
        tower_service::Service::call(&mut router.clone(), request)
    }
}
