//! The people of a workspace as the pages name them: reps and teams to filter by.
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
