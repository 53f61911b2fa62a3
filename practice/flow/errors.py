"""Refusal codes shared by the flow engine, the socket protocol and docs/protocol.md."""

import enum


class ErrorCode(enum.StrEnum):
    # Raised by the flow engine.
    UNKNOWN_ACTION = "unknown_action"
    INVALID = "invalid"
    TOO_LONG = "too_long"
    NOT_YOUR_TURN = "not_your_turn"
    WRONG_STEP = "wrong_step"
    ON_BREAK = "on_break"
    NOT_ON_BREAK = "not_on_break"
    BREAK_NOT_OVER = "break_not_over"
    ALREADY_DONE = "already_done"
    STEP_INCOMPLETE = "step_incomplete"
    PAUSED = "paused"
    FINISHED = "finished"
    # Raised by the socket layer before the engine is reached.
    BAD_JSON = "bad_json"
    BAD_MESSAGE = "bad_message"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    FORBIDDEN = "forbidden"
    UNAVAILABLE = "unavailable"


# One human sentence per code; a refusal may carry a more specific one.
MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.UNKNOWN_ACTION: "That isn't something the room knows how to do.",
    ErrorCode.INVALID: "Something in that was missing or not in the expected form.",
    ErrorCode.TOO_LONG: "That's longer than the room accepts. Try sharing it in smaller pieces.",
    ErrorCode.NOT_YOUR_TURN: "It isn't your turn for that yet.",
    ErrorCode.WRONG_STEP: "That belongs to a different step of the talk.",
    ErrorCode.ON_BREAK: "You're on a break. Turns wait until you're both ready again.",
    ErrorCode.NOT_ON_BREAK: "There's no break to resume from.",
    ErrorCode.BREAK_NOT_OVER: "The cool-down isn't over yet. You can both agree to end it early.",
    ErrorCode.ALREADY_DONE: "You've already done that for this step.",
    ErrorCode.STEP_INCOMPLETE: "This step isn't finished yet.",
    ErrorCode.PAUSED: "This check-in is paused. Resume it to continue.",
    ErrorCode.FINISHED: "This check-in has ended.",
    ErrorCode.BAD_JSON: "The message wasn't valid JSON.",
    ErrorCode.BAD_MESSAGE: "The message didn't have the expected shape.",
    ErrorCode.TOO_LARGE: "The message was too large.",
    ErrorCode.RATE_LIMITED: "That's a lot at once. Slow down a little and try again.",
    ErrorCode.FORBIDDEN: "You no longer have access to this room.",
    ErrorCode.UNAVAILABLE: "The room couldn't save that just now. It will be retried.",
}


class Refusal(Exception):
    """An action the engine refused: a stable code and a human sentence."""

    def __init__(self, code: ErrorCode, message: str | None = None):
        self.code = ErrorCode(code)
        self.message = message or MESSAGES[self.code]
        super().__init__(f"{self.code}: {self.message}")

    def __eq__(self, other):
        return isinstance(other, Refusal) and (self.code, self.message) == (
            other.code,
            other.message,
        )

    def __hash__(self):
        return hash((self.code, self.message))

    def as_dict(self) -> dict:
        return {"code": self.code.value, "message": self.message}
