//! Genjin's server: configuration, database, REST API and the Leptos app.
