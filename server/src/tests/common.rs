//! A Genjin server on a fresh embedded database per test (surrealkv in a temporary folder:
//! SurrealDB 3.3.5's `mem://` is quadratic in a transaction's size), driven through its router.
#![allow(dead_code)]
use crate::state::AppState;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const ADMIN: &str = "test-admin-token";

pub struct TestServer {
    pub app: Router,
    pub state: AppState,
    /// The database's folder, removed when the test ends.
    pub dir: tempfile::TempDir,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    /// The body as it came (a file).
    pub bytes: axum::body::Bytes,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.body)
    }
}

pub fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/fixtures").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture present")).unwrap()
}

impl TestServer {
    /// An empty workspace with the bootstrap admin.
    pub async fn new() -> TestServer {
        TestServer::following(Follow::Off).await
    }

    /// An empty workspace whose app server shares its changes and follows other app servers'
    /// as `follow` says (see [`TestServer::peer`]).
    pub async fn following(follow: Follow) -> TestServer {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("surrealkv://{}", dir.path().join("genjin.db").display());
        let state = crate::prepare_following(&url, Some(ADMIN), options(), follow).await.expect("server prepares");
        TestServer { app: crate::build_app(state.clone()), state, dir }
    }

    /// An empty workspace whose storage engine takes at most `bytes` in one transaction (its
    /// memtable, `surrealkv_max_memtable_size`).
    pub async fn with_memtable(bytes: usize) -> TestServer {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("surrealkv://{}?surrealkv_max_memtable_size={bytes}", dir.path().join("genjin.db").display());
        let state = crate::prepare_following(&url, Some(ADMIN), options(), Follow::Off).await.expect("server prepares");
        TestServer { app: crate::build_app(state.clone()), state, dir }
    }

    /// Another app server on this one's database (in one process, they share the embedded
    /// database), following the others as `follow` says.
    pub async fn peer(&self, follow: Follow) -> TestServer {
        let state =
            crate::prepare_on((*self.state.db).clone(), Some(ADMIN), options(), follow).await.expect("peer prepares");
        TestServer {
            app: crate::build_app(state.clone()),
            state,
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// An app server on a SurrealDB server (`ws://…`), following the others as `follow` says.
    pub async fn on_server(url: &str, follow: Follow) -> TestServer {
        let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
        let state = crate::prepare_following(url, Some(ADMIN), options(), follow).await.expect("server prepares");
        TestServer {
            app: crate::build_app(state.clone()),
            state,
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// An app server on an opened database (one a backup was read into), following nothing.
    pub async fn on_db(db: crate::db::Db) -> TestServer {
        let state = crate::prepare_on(db, Some(ADMIN), options(), Follow::Off).await.expect("server prepares");
        TestServer {
            app: crate::build_app(state.clone()),
            state,
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A workspace holding the sample history bundle, imported through the API.
    pub async fn with_sample() -> TestServer {
        let s = TestServer::new().await;
        let a = s.post(ADMIN, "/api/v1/import", &fixture("sample-bundle.json")).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        s
    }

    pub async fn raw(&self, method: Method, uri: &str, token: Option<&str>, body: Body) -> Answer {
        send(&self.app, method, uri, token, &[], body).await
    }

    pub async fn get(&self, token: &str, uri: &str) -> Answer {
        self.raw(Method::GET, uri, Some(token), Body::empty()).await
    }

    pub async fn post(&self, token: &str, uri: &str, body: &Value) -> Answer {
        self.raw(Method::POST, uri, Some(token), Body::from(serde_json::to_vec(body).unwrap())).await
    }

    pub async fn put(&self, token: &str, uri: &str, body: &Value) -> Answer {
        self.raw(Method::PUT, uri, Some(token), Body::from(serde_json::to_vec(body).unwrap())).await
    }

    pub async fn patch(&self, token: &str, uri: &str, body: &Value) -> Answer {
        self.raw(Method::PATCH, uri, Some(token), Body::from(serde_json::to_vec(body).unwrap())).await
    }

    /// A fresh API token for a user, made by the admin.
    pub async fn token_for(&self, user: &str) -> String {
        let a = self.post(ADMIN, "/api/v1/tokens", &serde_json::json!({"user": user, "label": "test"})).await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        a.body["token"].as_str().unwrap().to_string()
    }

    /// Every lead the admin may see, as the lead list answers it, page after page.
    pub async fn every_lead(&self) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let uri = match &cursor {
                Some(c) => format!("/api/v1/leads?limit=200&cursor={}", urlencode(c)),
                None => "/api/v1/leads?limit=200".to_string(),
            };
            let mut page = self.get(ADMIN, &uri).await.body;
            all.extend(page["items"].as_array_mut().map(std::mem::take).unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return all,
            }
        }
    }

    /// How many records a table holds (to prove a refused write left nothing behind).
    pub async fn count(&self, table: &str) -> i64 {
        crate::repo::count(&self.state.db, table).await.unwrap() as i64
    }
}

pub use app::ssr::peers::Follow;
pub use app::testing::{assert_close, same_but_rounding};

fn options() -> LeptosOptions {
    LeptosOptions::builder().output_name("genjin").build()
}

/// A new lead as the API takes it: an S lead of 杭州云帆.
pub fn new_lead() -> Value {
    json!({
        "source": "trade_show", "company": "杭州云帆信息技术有限公司", "industry": "互联网",
        "region": "华东", "employees": 300, "contact_name": "陈静", "contact_title": "CTO",
        "phone": "13900001111", "need": "私有云迁移", "budget": 200000, "decision_months": 1,
        "decision_chain": "dm_engaged"
    })
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Sends one request through the router, with extra headers.
pub async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Body,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
        req = req.header("content-type", "application/json");
    }
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Answer { status, body, bytes }
}

pub fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

/// The sample bundle moved in time so that its last follow-up was logged an hour ago: its
/// follow-ups count in the activity windows now.
pub fn recent_sample() -> Value {
    fn times(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
        match v {
            Value::Object(m) => m.values_mut().for_each(|x| times(x, f)),
            Value::Array(a) => a.iter_mut().for_each(|x| times(x, f)),
            Value::String(s) if s.len() == 20 && s.ends_with('Z') && s.parse::<DateTime<Utc>>().is_ok() => f(v),
            _ => {}
        }
    }
    let mut b = fixture("sample-bundle.json");
    let mut last = DateTime::<Utc>::MIN_UTC;
    // The last follow-up logged (tasks may be due later).
    times(&mut b["interactions"], &mut |v| last = last.max(time(v)));
    let shift = Utc::now() - chrono::Duration::hours(1) - last;
    times(&mut b, &mut |v| *v = json!((time(v) + shift).format("%Y-%m-%dT%H:%M:%SZ").to_string()));
    b
}
