package dev.junction.engine.run;

/** Why a run or step failed: a stable code, a message, and the step it happened in (if any). */
public record RunError(String code, String message, String stepId) {}
