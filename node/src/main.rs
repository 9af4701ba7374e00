//! `viot-node`: a generic Substrate shell that hosts the VIoT WASM runtime.
//!
//! The node knows the runtime only through its WASM blob and the opaque types of
//! `viot-primitives`; every rule of the chain lives in the runtime, which can be upgraded
//! without a new node binary.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
