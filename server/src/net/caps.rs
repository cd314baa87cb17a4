//! Caps on open TCP connections: in total and per client address. A connection takes a
//! [`Slot`] when it is accepted and gives it back when its socket closes, also after it became
//! a websocket (the slot travels inside the socket, see [`Counted`]).

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Counts open connections; `admit` refuses one past either cap.
pub struct ConnectionCaps {
    max_total: usize,
    max_per_address: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// Why a connection was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Total,
    PerAddress,
}

impl ConnectionCaps {
    /// Caps of 0 mean "no cap".
    pub fn new(max_total: usize, max_per_address: usize) -> Arc<Self> {
        Arc::new(ConnectionCaps { max_total, max_per_address, open: Mutex::default() })
    }

    /// A slot for a new connection from `address`, or why there is none.
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Result<Slot, Refused> {
        let mut open = self.open.lock().expect("caps lock");
        if self.max_total > 0 && open.total >= self.max_total {
            return Err(Refused::Total);
        }
        let mine = open.by_address.get(&address).copied().unwrap_or(0);
        if self.max_per_address > 0 && mine >= self.max_per_address {
            return Err(Refused::PerAddress);
        }
        open.total += 1;
        open.by_address.insert(address, mine + 1);
        Ok(Slot { caps: self.clone(), address })
    }

    /// Open connections now (total).
    pub fn open(&self) -> usize {
        self.open.lock().expect("caps lock").total
    }
}

/// One admitted connection; dropping it frees its place.
pub struct Slot {
    caps: Arc<ConnectionCaps>,
    address: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.caps.open.lock().expect("caps lock");
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

/// A socket that holds its connection's [`Slot`] until it is dropped.
pub struct Counted<T> {
    inner: T,
    _slot: Slot,
}

impl<T> Counted<T> {
    pub fn new(inner: T, slot: Slot) -> Self {
        Counted { inner, _slot: slot }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Counted<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Counted<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn per_address_and_total_caps_and_slots_come_back() {
        let caps = ConnectionCaps::new(3, 2);
        let a1 = caps.admit(A).unwrap();
        let _a2 = caps.admit(A).unwrap();
        assert_eq!(caps.admit(A).err(), Some(Refused::PerAddress));
        let _b1 = caps.admit(B).unwrap();
        assert_eq!(caps.admit(B).err(), Some(Refused::Total));
        drop(a1);
        assert_eq!(caps.open(), 2);
        assert!(caps.admit(A).is_ok(), "a closed connection frees its place");
    }

    #[test]
    fn zero_means_no_cap() {
        let caps = ConnectionCaps::new(0, 0);
        let slots: Vec<_> = (0..100).map(|_| caps.admit(A).unwrap()).collect();
        assert_eq!(caps.open(), slots.len());
    }
}
