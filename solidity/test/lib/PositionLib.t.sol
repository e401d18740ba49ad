// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {PositionLib} from "../../src/lib/PositionLib.sol";

/// @notice External wrapper so reverts of the internal library can be expected.
contract PositionLibHarness {
    function encode(uint256 blknum, uint256 txindex, uint256 oindex) external pure returns (uint64) {
        return PositionLib.encode(blknum, txindex, oindex);
    }
}

contract PositionLib_Encode_Test is Test {
    PositionLibHarness internal h = new PositionLibHarness();

    function testFuzz_encode_roundTrip_succeeds(uint256 blknum, uint256 txindex, uint256 oindex) public view {
        blknum = bound(blknum, 1, PositionLib.MAX_CHILD_BLOCK + 999);
        txindex = bound(txindex, 0, 65_535);
        oindex = bound(oindex, 0, 3);
        uint64 pos = h.encode(blknum, txindex, oindex);
        assertEq(PositionLib.blknum(pos), blknum);
        assertEq(PositionLib.txIndex(pos), txindex);
        assertEq(PositionLib.oIndex(pos), oindex);
        assertTrue(PositionLib.isValid(pos));
        assertEq(uint256(pos), blknum * 1e9 + txindex * 1e4 + oindex);
    }

    function test_encode_roundTrip_succeeds() public view {
        testFuzz_encode_roundTrip_succeeds(1000, 65_535, 3);
        testFuzz_encode_roundTrip_succeeds(PositionLib.MAX_CHILD_BLOCK + 999, 65_535, 3);
    }

    function test_encode_invalid_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(PositionLib.PositionLib_Invalid.selector, 0, 0, 0));
        h.encode(0, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(PositionLib.PositionLib_Invalid.selector, 1, 65_536, 0));
        h.encode(1, 65_536, 0);
        vm.expectRevert(abi.encodeWithSelector(PositionLib.PositionLib_Invalid.selector, 1, 0, 4));
        h.encode(1, 0, 4);
        uint256 tooBig = uint256(type(uint64).max) / 1e9 + 1;
        vm.expectRevert(abi.encodeWithSelector(PositionLib.PositionLib_Invalid.selector, tooBig, 0, 0));
        h.encode(tooBig, 0, 0);
    }

    function testFuzz_isValid_matchesComponents_succeeds(uint64 pos) public pure {
        bool expected = pos / 1e9 >= 1 && (pos / 1e4) % 1e5 < 65_536 && pos % 1e4 < 4;
        assertEq(PositionLib.isValid(pos), expected);
    }

    function test_isValid_matchesComponents_succeeds() public pure {
        testFuzz_isValid_matchesComponents_succeeds(1e9 + 65_535 * 1e4 + 3);
        testFuzz_isValid_matchesComponents_succeeds(1e9 + 65_536 * 1e4);
        testFuzz_isValid_matchesComponents_succeeds(999_999_999);
    }

    function test_isDepositBlock_succeeds() public pure {
        assertTrue(PositionLib.isDepositBlock(1));
        assertTrue(PositionLib.isDepositBlock(1999));
        assertFalse(PositionLib.isDepositBlock(1000));
        assertFalse(PositionLib.isDepositBlock(0));
    }
}
