// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Heap} from "@openzeppelin/contracts/utils/structs/Heap.sol";

import {ExitQueueLib} from "../../src/lib/ExitQueueLib.sol";

/// @notice One OpenZeppelin heap and one ExitQueueLib queue side by side.
contract TwoHeaps {
    using Heap for Heap.Uint256Heap;
    using ExitQueueLib for ExitQueueLib.Queue;

    Heap.Uint256Heap internal oz;
    ExitQueueLib.Queue internal ours;

    function fill(uint256 n) external {
        for (uint256 i = 1; i <= n; ++i) {
            uint256 key = (i << 64) | i;
            oz.insert(key);
            ours.insert(key);
        }
    }

    function insertOz(uint256 key) external {
        oz.insert(key);
    }

    function insertOurs(uint256 key) external {
        ours.insert(key);
    }

    function popOz(uint256 n) external {
        for (uint256 i; i < n; ++i) {
            oz.pop();
        }
    }

    function popOurs(uint256 n) external {
        for (uint256 i; i < n; ++i) {
            ours.pop();
        }
    }
}

/// @title HeapComparison_Test
/// @notice Why ExitQueueLib is hand-written: the same operations on OpenZeppelin's Heap
///         (one key per slot) and on ExitQueueLib (two keys per slot), each holding 1,000
///         keys. Whole-transaction gas under the isolated `gas` profile
///         (snapshots/HeapComparison_Test.json); the tests assert ours is cheaper.
contract HeapComparison_Test is Test {
    TwoHeaps internal heaps;
    bool internal measuring;

    function setUp() public {
        measuring = keccak256(bytes(vm.envOr("FOUNDRY_PROFILE", string("default")))) == keccak256("gas");
        heaps = new TwoHeaps();
        heaps.fill(1_000);
    }

    /// @notice Runs `ozCall` then `ourCall` on the heaps; returns the gas of each (the
    ///         whole transaction under the gas profile, the call's execution gas otherwise,
    ///         which still compares fairly: the two touch disjoint storage).
    function _compare(bytes memory ozCall, bytes memory ourCall, string memory name) internal {
        uint256 g = gasleft();
        (bool ok,) = address(heaps).call(ozCall);
        uint256 oz = g - gasleft();
        if (measuring) oz = vm.snapshotGasLastCall(string.concat(name, "_openzeppelin"));
        g = gasleft();
        (bool ok2,) = address(heaps).call(ourCall);
        uint256 ours = g - gasleft();
        if (measuring) ours = vm.snapshotGasLastCall(string.concat(name, "_exitQueueLib"));
        assertTrue(ok && ok2);
        assertLt(ours, oz, name);
    }

    function test_heap_insertLast() public {
        uint256 key = uint256(5_000) << 64;
        _compare(abi.encodeCall(TwoHeaps.insertOz, (key)), abi.encodeCall(TwoHeaps.insertOurs, (key)), "insertLast");
    }

    function test_heap_insertFirst() public {
        _compare(abi.encodeCall(TwoHeaps.insertOz, (1)), abi.encodeCall(TwoHeaps.insertOurs, (1)), "insertFirst");
    }

    function test_heap_pop10() public {
        _compare(abi.encodeCall(TwoHeaps.popOz, (10)), abi.encodeCall(TwoHeaps.popOurs, (10)), "pop10");
    }
}
