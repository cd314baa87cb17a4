//! Where a sign-in may send someone afterwards: only a path on this site. Anything that a
//! browser could read as another site (`//evil`, `/\evil`, `https://…`) or that holds control
//! characters is refused, so the sign-in page cannot be used as an open redirect.

/// `next` when it is a safe local path, else `None`.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 2048;
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths() {
        assert_eq!(safe_next("/beheer"), Some("/beheer"));
        assert_eq!(safe_next("/sessions/new?lang=en"), Some("/sessions/new?lang=en"));
        for bad in
            ["", "beheer", "//evil.example", "/\\evil.example", "https://evil.example/", "/a\r\nb", "/a\\b"]
        {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }
}
