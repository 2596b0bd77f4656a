//! Who is acting: API tokens (stored as SHA-256 hashes) and the scope rules of PRODUCT.md §1.
use crate::domain::enums::Role;
use crate::ssr::error::ApiError;
use crate::ssr::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The acting user of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub user: String,
    pub name: String,
    pub role: Role,
    /// The rep this user is (reps and managers).
    pub rep: Option<String>,
    /// The teams whose leads a manager sees (a rep's own team for reps).
    pub teams: Vec<String>,
}

impl Actor {
    /// May this user see a lead with this owner and team?
    pub fn can_see(&self, owner: Option<&str>, team: Option<&str>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Manager => team.is_some_and(|t| self.teams.iter().any(|x| x == t)),
            Role::Rep => owner.is_some() && owner == self.rep.as_deref(),
        }
    }

    /// May this user change such a lead? The same as seeing it (reps: own leads; managers:
    /// their teams' leads; admins: all).
    pub fn can_edit(&self, owner: Option<&str>, team: Option<&str>) -> bool {
        self.can_see(owner, team)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::Forbidden("only an admin may do this".into()))
        }
    }
}

/// A new random API token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!("gj_{}", hex(&bytes))
}

/// Tokens are high-entropy secrets, so a plain SHA-256 is the right hash (no salt needed).
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    /// An API token (`Authorization: Bearer`) or, from the browser, the session cookie.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Actor, ApiError> {
        actor_of(&parts.headers, state).await?.ok_or(ApiError::Unauthorized)
    }
}

/// The acting user of a request with these headers, if any.
pub async fn actor_of(headers: &axum::http::HeaderMap, state: &AppState) -> Result<Option<Actor>, ApiError> {
    if let Some(header) = headers.get(axum::http::header::AUTHORIZATION) {
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        return crate::ssr::repo::users::actor_for_token(&state.db, token).await;
    }
    match crate::ssr::repo::sessions::cookie(headers, crate::ssr::repo::sessions::COOKIE) {
        Some(secret) => Ok(crate::ssr::repo::sessions::actor_for_session(&state.db, secret).await?.map(|(a, _)| a)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor { user: "u".into(), name: "u".into(), role, rep: Some("r1".into()), teams: vec!["t1".into()] }
    }

    #[test]
    fn a_rep_sees_only_own_leads() {
        let rep = actor(Role::Rep);
        assert!(rep.can_see(Some("r1"), Some("t1")));
        assert!(!rep.can_see(Some("r2"), Some("t1")));
        assert!(!rep.can_see(None, None));
    }

    #[test]
    fn a_manager_sees_the_team_and_an_admin_everything() {
        let m = actor(Role::Manager);
        assert!(m.can_see(Some("r2"), Some("t1")));
        assert!(!m.can_see(Some("r9"), Some("t9")));
        assert!(actor(Role::Admin).can_see(None, None));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }
}
