//! The board (看板): lead cards in status columns, moved by pointer or keyboard, live, with filters.
pub mod ask;
pub mod card;
pub mod column;
pub mod drag;
pub mod filters;
pub mod keyboard;
pub mod notice;
pub mod state;
pub mod view;
