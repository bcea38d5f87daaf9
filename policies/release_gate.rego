# policies/release_gate.rego
package companyos.release

import future.keywords.in
import future.keywords.if
import future.keywords.contains

default allow := false

# Main decision
allow if {
    all_build_gates_pass
    all_quality_gates_pass
    all_security_gates_pass
    all_slo_gates_pass
    deployment_window_open
    not deployment_freeze_active
}

# Allow with emergency override
allow if {
    input.emergency_override == true
    input.override_approver in data.authorized_overriders
    input.incident_id != ""
}

# Build gates
all_build_gates_pass if {
    input.gates.build.typescript == "pass"
    input.gates.build.compile == "pass"
    input.gates.build.lint == "pass"
}

# Quality gates
all_quality_gates_pass if {
    input.gates.quality.unit_tests == "pass"
    input.gates.quality.coverage >= 80
    input.gates.quality.golden_path == "pass"
}

# Security gates
all_security_gates_pass if {
    input.gates.security.critical_cves == 0
    input.gates.security.secrets_found == 0
    input.gates.security.slsa_level >= 3
    input.gates.security.image_signed == true
}

# SLO gates
all_slo_gates_pass if {
    input.slo.error_budget_remaining >= 20
    input.slo.burn_rate < 2.0
    input.slo.active_p1_incidents == 0
}

# Change windows
deployment_window_open if {
    current_hour := time.clock(time.now_ns())[0]
    current_day := time.weekday(time.now_ns())

    # Weekdays 09:00-16:00 (avoid EOD)
    current_day in ["Monday", "Tuesday", "Wednesday", "Thursday"]
    current_hour >= 9
    current_hour < 16
}

deployment_window_open if {
    # Emergency always allowed
    input.emergency_override == true
}

# Freeze check
deployment_freeze_active if {
    some freeze in data.active_freezes
    time.now_ns() >= freeze.start_ns
    time.now_ns() < freeze.end_ns
    not input.emergency_override
}

# Generate decision record
decision := {
    "allow": allow,
    "timestamp": time.now_ns(),
    "service": input.service,
    "version": input.version,
    "gates": {
        "build": all_build_gates_pass,
        "quality": all_quality_gates_pass,
        "security": all_security_gates_pass,
        "slo": all_slo_gates_pass,
    },
    "overrides": {
        "emergency": input.emergency_override,
        "approver": input.override_approver,
    },
    "violations": violation,
}

# Violation messages
violation contains msg if {
    not all_build_gates_pass
    msg := "Build gates not satisfied"
}

violation contains msg if {
    not all_quality_gates_pass
    msg := sprintf("Quality gates failed (coverage: %d%%)", [input.gates.quality.coverage])
}

violation contains msg if {
    input.gates.security.critical_cves > 0
    msg := sprintf("%d critical CVEs detected", [input.gates.security.critical_cves])
}

violation contains msg if {
    input.slo.error_budget_remaining < 20
    msg := sprintf("Error budget exhausted (%d%% remaining)", [input.slo.error_budget_remaining])
}

violation contains msg if {
    not deployment_window_open
    not input.emergency_override
    msg := "Outside deployment window (Mon-Thu 09:00-16:00)"
}
