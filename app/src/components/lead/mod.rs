//! The lead page's parts: header, score and profile cards, timeline and follow-up form.
pub mod detail;
pub mod follow_up_form;
pub mod follow_up_state;
pub mod header;
pub mod profile_card;
pub mod score_card;
pub mod timeline;
