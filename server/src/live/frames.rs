//! Server messages as websocket frames, split so that no frame is too large to send.
//!
//! A `welcome`, `view` or `event` whose JSON is over [`SINGLE_FRAME_BYTES`] goes out with an
//! empty `contributions` list and `"pages": n`, followed at once (nothing in between) by `n`
//! `contributions_page` frames, each with at most [`PAGE_BYTES`] of contributions, which the
//! client appends in order before using the view or event. So every view can be delivered,
//! whatever the session holds, and no frame is over [`MAX_SERVER_FRAME_BYTES`].

use serde_json::{json, Value};

use super::protocol::ServerMessage;

/// A message up to this size is one frame.
pub const SINGLE_FRAME_BYTES: usize = 512 * 1024;
/// Contributions per `contributions_page` frame, in bytes of JSON.
pub const PAGE_BYTES: usize = 512 * 1024;
/// The largest frame the server sends (documented in docs/protocol.md).
pub const MAX_SERVER_FRAME_BYTES: usize = 1024 * 1024;

/// The frames that carry `msg`, in order.
pub fn frames(msg: &ServerMessage) -> Vec<String> {
    split(msg.to_json())
}

/// Splits one message's JSON into frames (see the module's description).
fn split(whole: String) -> Vec<String> {
    if whole.len() <= SINGLE_FRAME_BYTES {
        return vec![whole];
    }
    let mut value: Value = serde_json::from_str(&whole).expect("server messages are JSON");
    let (seq, pointer) = match value["type"].as_str() {
        Some("welcome") | Some("view") => (value["seq"].clone(), "/view/contributions"),
        Some("event") => (value["event"]["seq"].clone(), "/event/contributions"),
        _ => return vec![whole],
    };
    let list = value.pointer_mut(pointer);
    let Some(Value::Array(list)) = list else { return vec![whole] };
    let contributions = std::mem::take(list);
    let pages = paginate(contributions);
    value["pages"] = json!(pages.len());
    let mut out = Vec::with_capacity(pages.len() + 1);
    out.push(value.to_string());
    let count = pages.len();
    for (i, page) in pages.into_iter().enumerate() {
        out.push(
            json!({"type": "contributions_page", "seq": seq, "page": i + 1, "of": count, "contributions": page})
                .to_string(),
        );
    }
    out
}

/// Splits contributions into pages of at most `PAGE_BYTES` of JSON (a page holds at least one).
fn paginate(contributions: Vec<Value>) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut page = Vec::new();
    let mut size = 0;
    for c in contributions {
        let len = c.to_string().len() + 1;
        if !page.is_empty() && size + len > PAGE_BYTES {
            pages.push(std::mem::take(&mut page));
            size = 0;
        }
        size += len;
        page.push(c);
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: &str, n: usize) -> String {
        let contributions: Vec<Value> = (0..n)
            .map(|i| json!({"id": format!("c{i}"), "author": {"kind": "you"}, "content": {"type": "text", "text": "é".repeat(4000)}}))
            .collect();
        let body = json!({"seq": 9, "title": "t", "contributions": contributions});
        match kind {
            "event" => json!({"type": "event", "event": body}).to_string(),
            _ => json!({"type": kind, "seq": 9, "view": body}).to_string(),
        }
    }

    /// Puts the pages back into the head frame, as a client does.
    fn assemble(frames: &[String], pointer: &str) -> Value {
        let mut head: Value = serde_json::from_str(&frames[0]).unwrap();
        let pages = head.as_object_mut().unwrap().remove("pages").map(|p| p.as_u64().unwrap()).unwrap_or(0);
        assert_eq!(pages as usize, frames.len() - 1);
        let list = head.pointer_mut(pointer).unwrap().as_array_mut().unwrap();
        for (i, f) in frames[1..].iter().enumerate() {
            let page: Value = serde_json::from_str(f).unwrap();
            assert_eq!(page["type"], "contributions_page");
            assert_eq!(page["seq"], 9);
            assert_eq!(page["page"], i + 1);
            assert_eq!(page["of"], pages);
            list.extend(page["contributions"].as_array().unwrap().iter().cloned());
        }
        head
    }

    #[test]
    fn a_small_message_is_one_frame() {
        let whole = message("view", 3);
        assert_eq!(split(whole.clone()), vec![whole]);
    }

    #[test]
    fn a_large_view_welcome_or_event_is_split_into_pages_that_add_up_to_the_whole() {
        for (kind, pointer) in [
            ("view", "/view/contributions"),
            ("welcome", "/view/contributions"),
            ("event", "/event/contributions"),
        ] {
            let whole = message(kind, 600);
            assert!(whole.len() > 4 * 1024 * 1024);
            let out = split(whole.clone());
            assert!(out.len() > 4, "{kind}: {} frames", out.len());
            assert!(out.iter().all(|f| f.len() <= MAX_SERVER_FRAME_BYTES));
            let head: Value = serde_json::from_str(&out[0]).unwrap();
            assert!(head.pointer(pointer).unwrap().as_array().unwrap().is_empty());
            let original: Value = serde_json::from_str(&whole).unwrap();
            assert_eq!(assemble(&out, pointer), original, "{kind}");
        }
    }
}
