//! What a coordinator may see: every campaign (the collector's token) or one campaign's (its
//! own token). Its own module, so that the session and the access checks can both name it.

/// Who asks: the collector's coordinators (every campaign), or one campaign's (its own
/// admin token, from `storypoint campaign create`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// The collector's admin token.
    All,
    /// A campaign's admin token: only that campaign's stories.
    Campaign(String),
}

impl Access {
    /// The campaign this access is limited to.
    pub fn campaign(&self) -> Option<&str> {
        match self {
            Access::All => None,
            Access::Campaign(slug) => Some(slug),
        }
    }
}
