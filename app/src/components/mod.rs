//! Components by area, composed by the pages: the board, the dashboard and its charts, the
//! lead page and form, the leads list, and what several share (the live connection, grades, the score breakdown).
pub mod board;
pub mod charts;
pub mod dashboard;
pub mod grade;
pub mod lead;
pub mod lead_form;
pub mod leads;
pub mod live;
pub mod score;
pub mod value;
