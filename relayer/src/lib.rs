//! The relayer's parts, as a library: a JSON-RPC connection to a node ([`rpc`]) and signed
//! extrinsics built without the runtime ([`extrinsic`]), which the gateway also uses, plus the
//! relay loop ([`relay`]), the message lanes it carries ([`lanes`]) and child-chain registration
//! ([`register`]) of the `viot-relayer` binary.

#![warn(missing_docs)]

pub mod extrinsic;
pub mod lanes;
pub mod register;
pub mod relay;
pub mod rpc;

/// An error retrying cannot fix: wrong chain, unregistered chain, refused registration.
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.0)
	}
}

impl std::error::Error for Fatal {}

/// Runs `work` until it ends or the process gets SIGINT or SIGTERM; if `work` fails, logs the
/// error and exits with status 1. The `main` of the relayer and of the gateway.
pub async fn run_until_stopped(work: impl std::future::Future<Output = anyhow::Result<()>>) {
	let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
		.expect("can listen for SIGTERM");
	let outcome = tokio::select! {
		outcome = work => outcome,
		_ = tokio::signal::ctrl_c() => Ok(()),
		_ = term.recv() => Ok(()),
	};
	match outcome {
		Ok(()) => tracing::info!("stopping"),
		Err(error) => {
			tracing::error!("{error:#}");
			std::process::exit(1);
		}
	}
}
