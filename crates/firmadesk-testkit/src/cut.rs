//! A cable that tests can pull: a TCP relay on loopback in front of a server (the team database). While it
//! is cut, every open connection through it is dropped and new ones are refused at once, as a desk sees a
//! VPN or a switch go down; restored, it relays again. Used for "network cut between a desk and
//! PostgreSQL" without touching the server, which other tests share.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// The relay. Dropping it stops it.
pub struct Cable {
    addr: SocketAddr,
    state: Arc<State>,
    acceptor: tokio::task::AbortHandle,
}

struct State {
    cut: AtomicBool,
    links: Mutex<JoinSet<()>>,
}

impl Cable {
    /// A relay on 127.0.0.1 (a free port) to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the relay");
        let addr = listener.local_addr().expect("relay address");
        let state = Arc::new(State {
            cut: AtomicBool::new(false),
            links: Mutex::new(JoinSet::new()),
        });
        let shared = state.clone();
        let acceptor = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if shared.cut.load(Ordering::SeqCst) {
                    // Refused: the peer sees its connection closed at once.
                    drop(inbound);
                    continue;
                }
                shared.links.lock().expect("links").spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                });
            }
        })
        .abort_handle();
        Self { addr, state, acceptor }
    }

    /// A relay to the server of `url` (`postgres://user@host:port/db`); clients use [`Cable::route`]`(url)`.
    pub async fn in_front_of(url: &str) -> Self {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or(rest);
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let target = tokio::net::lookup_host(host_port)
            .await
            .expect("the server's address")
            .next()
            .expect("an address");
        Self::start(target).await
    }

    /// Where clients connect instead of the server.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `url` (a `postgres://` address of the server) rewritten to go through the relay.
    pub fn route(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("an address with a scheme");
        let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        let user = authority
            .rsplit_once('@')
            .map(|(u, _)| format!("{u}@"))
            .unwrap_or_default();
        format!("{scheme}://{user}{}/{path}", self.addr)
    }

    /// Pulls the cable: open connections are dropped, new ones refused until [`Cable::restore`].
    pub fn cut(&self) {
        self.state.cut.store(true, Ordering::SeqCst);
        self.state.links.lock().expect("links").abort_all();
    }

    /// Plugs it back.
    pub fn restore(&self) {
        self.state.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for Cable {
    fn drop(&mut self) {
        self.acceptor.abort();
        self.state.links.lock().expect("links").abort_all();
    }
}
