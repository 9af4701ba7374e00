//! `viot-node`: a generic Substrate shell that hosts the VIoT WASM runtime.
//!
//! The node knows the runtime only through its WASM blob and the opaque types of
//! `viot-primitives`; every rule of the chain lives in the runtime, which can be upgraded
//! without a new node binary.

// `sc_cli::Error` and `sc_service::Error` are the error types of the Substrate service and CLI
// APIs this shell plugs into; their size is not ours to change.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
