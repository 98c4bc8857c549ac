//! Integration tests of the sandbox over real HTTP on 127.0.0.1 (one test binary).

mod cli;
mod common;
mod contract;
mod documents;
mod errors;
mod faults;
mod flow_client;
mod flow_raw;
mod guard;
mod hostile;
mod pdfsig;
mod state_file;
