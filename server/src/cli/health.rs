//! `beraad health`: asks a running server's `/healthz` and exits 0 when it answers 200. For a
//! container's HEALTHCHECK, where there is no curl: it reads the same `BERAAD_LISTEN` as
//! `serve`, and an unspecified address (0.0.0.0, ::) is asked on the loopback address.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;

#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The address the server listens on.
    #[arg(long, env = "BERAAD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub timeout: u64,
}

pub fn run(args: HealthArgs) -> anyhow::Result<()> {
    let mut addr = args.listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    let timeout = Duration::from_secs(args.timeout);
    let mut stream =
        TcpStream::connect_timeout(&addr, timeout).with_context(|| format!("no server answers on {addr}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).with_context(|| format!("the server on {addr} did not answer"))?;
    let status_line = String::from_utf8_lossy(&head[..n]);
    let status = status_line.split_whitespace().nth(1).unwrap_or_default();
    if status != "200" {
        bail!("the server on {addr} answered /healthz with status {status:?}");
    }
    println!("ok");
    Ok(())
}
