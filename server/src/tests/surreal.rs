//! SurrealDB's server (`tools/surreal`, the `surreal` binary at the SDK's exact version), run
//! for a test on a free port with a root user and surrealkv storage in a temporary folder;
//! killed and started again on the same port and storage to prove Genjin rides it out.
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SurrealServer {
    child: Option<Child>,
    pub port: u16,
    storage: tempfile::TempDir,
}

/// The `surreal` binary: `GENJIN_SURREAL`, else beside this test binary's folder (the
/// scripts build it with the tests: `cargo build -p genjin-surreal`).
fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("GENJIN_SURREAL") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/debug/deps/<test binary> → target/debug/surreal
    let path = exe.parent().and_then(|deps| deps.parent()).map(|dir| dir.join("surreal")).expect("a target folder");
    assert!(
        path.exists(),
        "SurrealDB's server is not built at {}: `cargo build -p genjin-surreal` (scripts/test.sh does)",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().unwrap().port()
}

impl SurrealServer {
    pub async fn start() -> SurrealServer {
        let mut s =
            SurrealServer { child: None, port: free_port(), storage: tempfile::tempdir().expect("a temporary folder") };
        s.run().await;
        s
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    async fn run(&mut self) {
        let storage = format!("surrealkv://{}", self.storage.path().join("data").display());
        let child = Command::new(binary())
            .args(["start", "--log", "warn", "--no-banner", "-u", "root", "-p", "root"])
            .args(["--bind", &format!("127.0.0.1:{}", self.port), &storage])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("SurrealDB's server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return;
            }
            assert!(Instant::now() < deadline, "SurrealDB's server did not listen within a minute");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown, as a crash.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Started again on the same port and storage.
    pub async fn restart(&mut self) {
        self.kill();
        self.run().await;
    }
}

impl Drop for SurrealServer {
    fn drop(&mut self) {
        self.kill();
    }
}
