//! What the memory allocator holds. glibc's malloc keeps memory that was freed for later use
//! instead of giving it back to the system, so a process's resident size stays near its peak
//! after a busy hour even when the state behind it is gone. [`in_use_bytes`] tells the two
//! apart (`/metrics`: `beraad_heap_in_use_bytes` beside the process's resident size), and
//! [`give_back`] returns the free pages (the live rooms call it after sessions ended).
//! Other allocators (musl): `None` and nothing.

/// Bytes handed out by the allocator and not freed yet (glibc `mallinfo2`: small blocks in use
/// plus blocks in their own mappings).
pub fn in_use_bytes() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 only reads the allocator's counters.
        let info = unsafe { libc::mallinfo2() };
        Some((info.uordblks + info.hblkhd) as u64)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

/// Gives the free memory the allocator keeps back to the system (glibc `malloc_trim`). It
/// walks every arena: call it off the async workers, and not often.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; nothing in use moves.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    #[test]
    fn memory_in_use_counts_an_allocation_until_it_is_freed() {
        const SIZE: usize = 64 * 1024 * 1024;
        let before = in_use_bytes().unwrap();
        let block = vec![1u8; SIZE];
        let during = in_use_bytes().unwrap();
        assert!(during >= before + SIZE as u64 / 2, "{before} -> {during}");
        drop(std::hint::black_box(block));
        let after = in_use_bytes().unwrap();
        assert!(after + (SIZE as u64 / 2) <= during, "{during} -> {after}");
        give_back();
    }
}
