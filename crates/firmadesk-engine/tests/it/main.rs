//! Integration tests of the engine against the real sandbox over HTTP on 127.0.0.1.

mod common;
mod crash;
mod faults;
mod issue10;
mod paused;
mod restart;
mod saga;
mod sync;
mod trusted_lists;
mod verify;
mod workers;
