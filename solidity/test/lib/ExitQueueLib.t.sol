// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {ExitQueueLib} from "../../src/lib/ExitQueueLib.sol";

/// @notice Holds one queue in storage.
contract ExitQueueHarness {
    using ExitQueueLib for ExitQueueLib.Queue;

    ExitQueueLib.Queue internal q;

    function insert(uint256 key) external {
        q.insert(key);
    }

    function pop() external returns (uint256) {
        return q.pop();
    }

    function top() external view returns (uint256) {
        return q.top();
    }

    function size() external view returns (uint256) {
        return q.size();
    }
}

contract ExitQueueLib_Test is Test {
    ExitQueueHarness internal h;

    function setUp() public {
        h = new ExitQueueHarness();
    }

    function testFuzz_popsInAscendingOrder_succeeds(uint128[] memory keys) public {
        vm.assume(keys.length <= 64);
        for (uint256 i; i < keys.length; ++i) {
            h.insert(uint256(keys[i]) | 1); // keys are never zero in the root chain
        }
        assertEq(h.size(), keys.length);
        uint256 prev;
        for (uint256 i; i < keys.length; ++i) {
            uint256 k = h.pop();
            assertGe(k, prev);
            prev = k;
        }
        assertEq(h.size(), 0);
        // Every slot is cleared again once the queue is empty.
        for (uint256 j; j <= keys.length / 2 + 1; ++j) {
            assertEq(vm.load(address(h), bytes32(j)), bytes32(0));
        }
    }

    function test_popsInAscendingOrder_succeeds() public {
        uint128[] memory keys = new uint128[](7);
        keys[0] = 50;
        keys[1] = 3;
        keys[2] = 99;
        keys[3] = 3;
        keys[4] = 1;
        keys[5] = 77;
        keys[6] = 20;
        testFuzz_popsInAscendingOrder_succeeds(keys);
    }

    function testFuzz_interleaved_matchesReference_succeeds(uint256 seed) public {
        uint256[] memory ref = new uint256[](80);
        uint256 n;
        for (uint256 step; step < 120; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            if (n == 0 || (r % 3 != 0 && n < 80)) {
                uint256 key = (r >> 8) % 1000 + 1;
                h.insert(key);
                ref[n++] = key;
            } else {
                uint256 minAt;
                for (uint256 i = 1; i < n; ++i) {
                    if (ref[i] < ref[minAt]) minAt = i;
                }
                assertEq(h.top(), ref[minAt]);
                assertEq(h.pop(), ref[minAt]);
                ref[minAt] = ref[--n];
            }
            assertEq(h.size(), n);
        }
    }

    function test_interleaved_matchesReference_succeeds() public {
        testFuzz_interleaved_matchesReference_succeeds(2024);
    }

    function test_layout_twoKeysPerSlot_succeeds() public {
        h.insert(30);
        h.insert(20);
        h.insert(10);
        // Slot 0: size 3 (low half) and the root 10 (high half); slot 1: nodes 2 and 3.
        assertEq(uint256(vm.load(address(h), bytes32(0))), (uint256(10) << 128) | 3);
        assertEq(uint256(vm.load(address(h), bytes32(uint256(1)))), (uint256(20) << 128) | 30);
    }

    function test_pop_empty_reverts() public {
        vm.expectRevert(ExitQueueLib.ExitQueueLib_Empty.selector);
        h.pop();
        vm.expectRevert(ExitQueueLib.ExitQueueLib_Empty.selector);
        h.top();
    }
}
