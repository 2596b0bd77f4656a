//! The web's defences: cross-site request checks, sign-in throttling and the
//! security headers every answer carries.
pub mod csrf;
pub mod headers;

pub mod throttle;
