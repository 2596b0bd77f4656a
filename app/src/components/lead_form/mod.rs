//! The lead form's parts: its state, the profile fields and their errors, the owner select, the live score, the actions.
pub mod actions;
pub mod choices;
pub mod form;
pub mod inputs;
pub mod owner;
pub mod problems;
pub mod score;
pub mod sections;
pub mod state;
