//! The web's defences: cross-site request checks, sign-in throttling, rate limits and the
//! security headers every answer carries.
pub mod csrf;
pub mod headers;
pub mod rate;
pub mod throttle;
