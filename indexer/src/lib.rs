//! Independent indexer and watchtower that serves exit proofs over REST.
