package com.example.portal.legacy;

import java.time.LocalDate;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A closed claim from before the 2015 POLICY_CORE migration. */
@Entity
@Table(name = "CLAIM_EVENT", schema = "CLAIMS_HISTORY")
public class ClaimEvent {

    @Id
    @Column(name = "EVENT_ID")
    private Long id;

    @Column(name = "POLICY_NO")
    private String policyNo;

    @Column(name = "CLOSED_ON")
    private LocalDate closedOn;

    public Long getId() { return id; }
    public String getPolicyNo() { return policyNo; }
    public LocalDate getClosedOn() { return closedOn; }
}
