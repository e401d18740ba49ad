//! Loopback ports for the services a test starts.

/// A TCP port on 127.0.0.1 that was free a moment ago (see
/// [`plasma_devnet::free_port`]); panics when none can be had.
pub fn free_port() -> u16 {
    plasma_devnet::free_port().expect("a free loopback port")
}
