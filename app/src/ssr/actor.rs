//! The acting user of a request and the scope rules of PRODUCT.md §1: who may see and change
//! which leads. Every read and write is checked against it on the server.
use crate::domain::enums::Role;
use crate::ssr::error::ApiError;

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
    /// Genjin itself, acting as an admin (loading the demo workspace).
    pub fn system() -> Actor {
        Actor { user: "admin".into(), name: "Genjin".into(), role: Role::Admin, rep: None, teams: Vec::new() }
    }

    /// May this user see a lead with this owner and team?
    pub fn can_see(&self, owner: Option<&str>, team: Option<&str>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Manager => team.is_some_and(|t| self.teams.iter().any(|x| x == t)),
            Role::Rep => owner.is_some() && owner == self.rep.as_deref(),
        }
    }

    /// Is `holder` (a task's or a feedback's owner) this user's own rep?
    pub fn holds(&self, holder: Option<&String>) -> bool {
        holder.is_some() && holder == self.rep.as_ref()
    }

    /// May this user see a record of a lead (a task, a piece of feedback): one on a lead they
    /// may see, or one handed to them.
    pub fn can_see_record(&self, holder: Option<&String>, card: &crate::domain::board::BoardCard) -> bool {
        self.holds(holder) || self.can_see(card.owner.as_deref(), card.team.as_deref())
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
}
