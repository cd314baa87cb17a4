//! Live sessions: one task per session owns its state (a fold of the event log) and its
//! connections. Commands go in, the domain decides, the store commits, then the room fans out
//! to every connection what that viewer may see.

pub mod connection;
pub mod errors;
pub mod frames;
mod heard;
mod outbox;
pub mod protocol;
mod rate_limit;
mod registry;
mod room;
mod sign_outs;
pub mod socket;

pub use outbox::{CloseReason, Outbox};
pub use registry::{Live, LiveError};
pub use room::{to_new_event, CommandResult, Committed};
pub use sign_outs::{SignOuts, SignedOut};
