//! What a new password must be: long enough to resist guessing (length beats composition rules,
//! as NIST SP 800-63B says), and not so long that hashing it becomes a denial of service.

/// The shortest password accepted.
pub const MIN_CHARS: usize = 12;
/// The longest password accepted.
pub const MAX_CHARS: usize = 1024;

/// Why a password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
}

impl PasswordProblem {
    /// A stable code, e.g. for a locale key `account.error.password_too_short`.
    pub fn code(self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
        }
    }
}

/// Checks a new password; counts characters, not bytes.
pub fn check(password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        Err(PasswordProblem::TooShort)
    } else if chars > MAX_CHARS {
        Err(PasswordProblem::TooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters() {
        assert_eq!(check("kort"), Err(PasswordProblem::TooShort));
        assert_eq!(check("elf tekens!"), Err(PasswordProblem::TooShort));
        assert_eq!(check("twaalf tekens"), Ok(()));
        // 12 characters, more bytes: accepted.
        assert_eq!(check("ééééééééééé1"), Ok(()));
        assert_eq!(check(&"x".repeat(MAX_CHARS + 1)), Err(PasswordProblem::TooLong));
    }
}
