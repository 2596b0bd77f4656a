//! The people of a workspace as the pages name them: reps and teams to filter by, and the
//! signed-in viewer.
use crate::domain::enums::Role;
use crate::i18n::Lang;
use crate::settings::WorkspaceSettings;
use serde::{Deserialize, Serialize};

/// A rep or team to filter the board by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub key: String,
    pub name: String,
    pub team: Option<String>,
}

/// Who the viewer may filter by: reps and teams they can see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct People {
    pub reps: Vec<Person>,
    pub teams: Vec<Person>,
}

/// The signed-in user as the pages see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: String,
    pub name: String,
    pub role: Role,
    pub rep: Option<String>,
    pub teams: Vec<String>,
    pub lang: Lang,
    /// The workspace is the generated demo: the pages say so.
    pub demo: bool,
}

/// What a page load learns first: who is signed in (none when signed out), the language to
/// speak, and the workspace's settings the browser computes with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub viewer: Option<Viewer>,
    pub lang: Lang,
    pub settings: WorkspaceSettings,
    /// The workspace time zone's offset from UTC now, in seconds east: the pages show times
    /// in it without carrying the time-zone database.
    pub utc_offset: i32,
}
