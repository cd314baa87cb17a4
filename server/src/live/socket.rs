//! How a live connection's bytes reach the wire: tokio-tungstenite's websocket over the upgraded
//! HTTP connection, with the buffers an idle connection keeps as small as they can be.
//!
//! Two things keep them small. tungstenite keeps its write buffer at the size of the largest
//! frame it ever formatted (it never shrinks it), so a large message goes out as several frames
//! of at most [`FRAGMENT_BYTES`] (one websocket message in fragments, RFC 6455 §5.4: a client
//! sees the same message). And tungstenite hands every frame straight to [`Batched`], which
//! gathers the frames written before a flush into one write to the socket and frees its buffer
//! once the flush is done: an idle connection holds no write buffer at all.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Bytes, Message};
use tokio_tungstenite::WebSocketStream;

use super::frames::MAX_SERVER_FRAME_BYTES;
use super::protocol::MAX_MESSAGE_BYTES;

/// A live connection's websocket.
pub type Socket = WebSocketStream<Batched<TokioIo<Upgraded>>>;

/// Bytes read from a websocket at a time (each connection keeps a buffer this size): a command
/// is a few hundred bytes; a larger frame gets room for itself when its header arrives.
const READ_BUFFER_BYTES: usize = 1024;
/// The largest frame the server writes: a longer message goes out in fragments of this size.
pub const FRAGMENT_BYTES: usize = 1024;
/// Bytes gathered before a flush at most; past it, they are written to the socket first.
const BATCH_BYTES: usize = 16 * 1024;

/// The websocket on an upgraded connection (the handshake was answered already).
pub async fn open(upgraded: Upgraded) -> Socket {
    let config = WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER_BYTES)
        // Every frame goes straight on to `Batched`, which holds it until the flush.
        .write_buffer_size(0)
        // Room for the frames of the largest message and a close while a client is slow.
        .max_write_buffer_size(2 * MAX_SERVER_FRAME_BYTES + 64 * 1024)
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES));
    WebSocketStream::from_raw_socket(Batched::new(TokioIo::new(upgraded)), Role::Server, Some(config)).await
}

/// A text message as the websocket frames that carry it: one frame when it fits in
/// [`FRAGMENT_BYTES`], else fragments cut at character boundaries (each a slice of `text`, no
/// copy).
pub fn text_frames(text: Bytes) -> impl Iterator<Item = Message> {
    let mut at = 0;
    let mut first = true;
    std::iter::from_fn(move || {
        if at == text.len() && !first {
            return None;
        }
        let mut end = (at + FRAGMENT_BYTES).min(text.len());
        // A fragment ends on a character boundary (continuation bytes are 0b10xxxxxx).
        while end < text.len() && end > at + 1 && (text[end] & 0xC0) == 0x80 {
            end -= 1;
        }
        let opcode = if first { OpCode::Data(Data::Text) } else { OpCode::Data(Data::Continue) };
        let frame = Frame::message(text.slice(at..end), opcode, end == text.len());
        at = end;
        first = false;
        Some(Message::Frame(frame))
    })
}

/// Gathers what is written until a flush, then writes it to `inner` at once (one system call
/// for a burst of frames instead of one each) and lets the buffer go.
pub struct Batched<IO> {
    inner: IO,
    pending: Vec<u8>,
    /// How much of `pending` went out already (during a flush).
    written: usize,
}

impl<IO> Batched<IO> {
    pub fn new(inner: IO) -> Self {
        Batched { inner, pending: Vec::new(), written: 0 }
    }
}

impl<IO: AsyncWrite + Unpin> Batched<IO> {
    /// Writes what is pending to `inner`; the buffer is freed once it is all out.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending = Vec::new();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Batched<IO> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.pending.len() + buf.len() > BATCH_BYTES {
            ready!(this.poll_drain(cx))?;
            if buf.len() > BATCH_BYTES {
                return Pin::new(&mut this.inner).poll_write(cx, buf);
            }
        }
        this.pending.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Batched<IO> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn payloads(text: &str) -> Vec<(bool, OpCode, String)> {
        text_frames(Bytes::copy_from_slice(text.as_bytes()))
            .map(|m| match m {
                Message::Frame(f) => {
                    let (fin, op) = (f.header().is_final, f.header().opcode);
                    (fin, op, String::from_utf8(f.into_payload().to_vec()).expect("whole characters"))
                }
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_short_text_is_one_final_text_frame() {
        assert_eq!(
            payloads("{\"type\":\"ack\"}"),
            vec![(true, OpCode::Data(Data::Text), "{\"type\":\"ack\"}".into())]
        );
        assert_eq!(payloads(""), vec![(true, OpCode::Data(Data::Text), String::new())]);
    }

    #[test]
    fn a_long_text_goes_in_fragments_cut_between_characters() {
        // Two-byte characters at an odd offset, so a cut at FRAGMENT_BYTES would split one.
        let text = format!("x{}", "é".repeat(3 * FRAGMENT_BYTES));
        let frames = payloads(&text);
        assert!(frames.len() > 3, "{} frames", frames.len());
        assert_eq!(frames[0].1, OpCode::Data(Data::Text));
        for (i, (fin, op, payload)) in frames.iter().enumerate() {
            assert!(payload.len() <= FRAGMENT_BYTES);
            assert_eq!(*fin, i == frames.len() - 1, "only the last is final");
            if i > 0 {
                assert_eq!(*op, OpCode::Data(Data::Continue));
            }
        }
        assert_eq!(frames.iter().map(|f| f.2.as_str()).collect::<String>(), text);
    }

    #[tokio::test]
    async fn batched_writes_go_out_at_the_flush_and_the_buffer_is_let_go() {
        let (near, mut far) = tokio::io::duplex(64 * 1024);
        let mut batched = Batched::new(near);
        batched.write_all(b"one ").await.unwrap();
        batched.write_all(b"two").await.unwrap();
        assert!(batched.pending.capacity() > 0);
        let mut got = [0u8; 16];
        let nothing_yet =
            tokio::time::timeout(std::time::Duration::from_millis(50), far.read(&mut got)).await;
        assert!(nothing_yet.is_err(), "nothing reaches the socket before the flush");
        batched.flush().await.unwrap();
        assert_eq!(batched.pending.capacity(), 0, "an idle connection keeps no write buffer");
        let n = far.read(&mut got).await.unwrap();
        assert_eq!(&got[..n], b"one two");
        // More than a batch holds is written through, in order.
        let big = vec![b'z'; BATCH_BYTES + 10];
        batched.write_all(b"a").await.unwrap();
        batched.write_all(&big).await.unwrap();
        batched.flush().await.unwrap();
        let mut all = vec![0u8; big.len() + 1];
        far.read_exact(&mut all).await.unwrap();
        assert_eq!(all[0], b'a');
        assert!(all[1..].iter().all(|&b| b == b'z'));
    }
}
