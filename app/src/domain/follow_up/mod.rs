//! Follow-ups as the lead page takes and shows them: what a rep types in the follow-up form,
//! checked and turned into the body the server reads, and where each entry of a lead's
//! timeline sits on the page (upcoming tasks apart, the history newest first).
pub mod order;
pub mod values;
