// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ExitQueueLib
/// @notice A binary min-heap of 128-bit keys packed TWO per
///         storage slot. Why not OpenZeppelin's `Heap`: it stores one uint256 per slot (plus
///         an array length), so every insert that grows the tree writes a fresh slot
///         (22,100 gas) and every level of a sift touches a separate slot. Here the heap is
///         1-indexed and node `i` lives in slot `i >> 1` (low half if `i` is even, high half
///         if odd), so the two children `2i` and `2i + 1` of any node share slot `i`: a
///         sift-down level reads ONE slot to compare both children, and only every second
///         insert opens a fresh slot. Slot 0 holds the size (low half) and the root (node 1,
///         high half), so reading the head and the size is a single SLOAD.
///
///         Layout: the queue's slots are `q.slot + j` for `j = 0, 1, …` (like a dynamic
///         array's data area, derived from a mapping slot, so it cannot collide in practice).
///
///         Keys order exits by priority: `exitableAt (40) << 88 | position (64) << 24 |
///         gameId (8) << 16 | nonce (16)`: the earliest exit time first, then the oldest
///         position (a standard exit's output, an in-flight exit's youngest input); the game
///         id says which exit game settles the entry and the nonce tells apart entries of
///         that game with the same time and position.
library ExitQueueLib {
    /// @notice The queue is empty.
    error ExitQueueLib_Empty();

    /// @notice Anchor of a queue in storage; its data starts at this struct's slot.
    struct Queue {
        uint256 anchor;
    }

    uint256 private constant LOW = 0xffffffffffffffffffffffffffffffff;

    /// @notice The largest exit time a key holds (year 36812).
    uint256 internal constant MAX_EXITABLE_AT = (1 << 40) - 1;

    /// @notice The key of an exit; `exitableAt` must be at most MAX_EXITABLE_AT.
    function key(uint256 exitableAt_, uint64 position_, uint8 gameId_, uint16 nonce_) internal pure returns (uint256) {
        return (exitableAt_ << 88) | (uint256(position_) << 24) | (uint256(gameId_) << 16) | nonce_;
    }

    /// @notice The exit time of a key.
    function exitableAt(uint256 k) internal pure returns (uint64) {
        // casting to 'uint64' is safe because a key's exit time has 40 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(k >> 88);
    }

    /// @notice The priority position of a key.
    function position(uint256 k) internal pure returns (uint64) {
        // casting to 'uint64' is safe because it keeps exactly the position's 64 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(k >> 24);
    }

    /// @notice The exit game of a key.
    function gameId(uint256 k) internal pure returns (uint8) {
        // casting to 'uint8' is safe because it keeps exactly the game id's 8 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint8(k >> 16);
    }

    /// @notice Number of keys in the queue.
    function size(Queue storage q) internal view returns (uint256 n) {
        assembly ("memory-safe") {
            n := and(sload(q.slot), LOW)
        }
    }

    /// @notice The smallest key; reverts when empty.
    function top(Queue storage q) internal view returns (uint256 minKey) {
        uint256 s0;
        assembly ("memory-safe") {
            s0 := sload(q.slot)
        }
        if (s0 & LOW == 0) revert ExitQueueLib_Empty();
        return s0 >> 128;
    }

    /// @notice Size and smallest key (0 when empty) in one read.
    function head(Queue storage q) internal view returns (uint256 n, uint256 minKey) {
        uint256 s0;
        assembly ("memory-safe") {
            s0 := sload(q.slot)
        }
        return (s0 & LOW, s0 >> 128);
    }

    /// @notice Inserts a key (must be non-zero and below 2^128).
    function insert(Queue storage q, uint256 newKey) internal {
        uint256 base;
        uint256 n;
        assembly ("memory-safe") {
            base := q.slot
            n := add(and(sload(base), LOW), 1)
        }
        uint256 i = n;
        // Sift up: move parents down while they are larger than the new key.
        while (i > 1) {
            uint256 parent = i >> 1;
            uint256 parentKey = _get(base, parent);
            if (parentKey <= newKey) break;
            _set(base, i, parentKey);
            i = parent;
        }
        _set(base, i, newKey);
        _setSize(base, n);
    }

    /// @notice Removes and returns the smallest key; reverts when empty.
    function pop(Queue storage q) internal returns (uint256 minKey) {
        uint256 base;
        uint256 s0;
        assembly ("memory-safe") {
            base := q.slot
            s0 := sload(base)
        }
        uint256 n = s0 & LOW;
        if (n == 0) revert ExitQueueLib_Empty();
        minKey = s0 >> 128;
        uint256 last = _get(base, n);
        _set(base, n, 0);
        unchecked {
            // n ≥ 1 was checked above.
            --n;
        }
        if (n != 0) {
            // Sift down the last key from the root: both children of node i sit in slot i.
            uint256 i = 1;
            while (true) {
                uint256 child = i << 1;
                if (child > n) break;
                uint256 pair;
                assembly ("memory-safe") {
                    pair := sload(add(base, i))
                }
                uint256 childKey = pair & LOW;
                if (child < n) {
                    uint256 right = pair >> 128;
                    if (right < childKey) {
                        childKey = right;
                        child |= 1;
                    }
                }
                if (childKey >= last) break;
                _set(base, i, childKey);
                i = child;
            }
            _set(base, i, last);
        }
        _setSize(base, n);
    }

    function _get(uint256 base, uint256 i) private view returns (uint256 k) {
        assembly ("memory-safe") {
            let w := sload(add(base, shr(1, i)))
            switch and(i, 1)
            case 0 { k := and(w, LOW) }
            default { k := shr(128, w) }
        }
    }

    function _set(uint256 base, uint256 i, uint256 k) private {
        assembly ("memory-safe") {
            let slot := add(base, shr(1, i))
            let w := sload(slot)
            switch and(i, 1)
            case 0 { w := or(and(w, not(LOW)), k) }
            default { w := or(and(w, LOW), shl(128, k)) }
            sstore(slot, w)
        }
    }

    function _setSize(uint256 base, uint256 n) private {
        assembly ("memory-safe") {
            sstore(base, or(and(sload(base), not(LOW)), n))
        }
    }
}
