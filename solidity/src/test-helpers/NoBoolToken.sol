// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title NoBoolToken
/// @notice A USDT-like token: transfer, transferFrom and approve return nothing and revert
///         on failure. Written out because OpenZeppelin's ERC20 always returns a bool.
contract NoBoolToken {
    /// @notice Balances.
    mapping(address account => uint256 amount) public balanceOf;
    /// @notice Allowances.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;
    /// @notice Total supply.
    uint256 public totalSupply;

    /// @notice The sender's balance or allowance is too small.
    error NoBoolToken_Insufficient();

    /// @notice Emitted on every balance move.
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice Emitted on approve.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Mints `amount` to `to` (test token).
    /// @param to Receiver.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Sets an allowance; returns nothing.
    /// @param spender Spender.
    /// @param amount Allowance.
    function approve(address spender, uint256 amount) external {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
    }

    /// @notice Transfers; returns nothing.
    /// @param to Receiver.
    /// @param amount Amount.
    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
    }

    /// @notice Transfers with an allowance; returns nothing.
    /// @param from Payer.
    /// @param to Receiver.
    /// @param amount Amount.
    function transferFrom(address from, address to, uint256 amount) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert NoBoolToken_Insufficient();
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        if (balanceOf[from] < amount) revert NoBoolToken_Insufficient();
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
