package com.northwind.profiles.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "profile_preferences")
public class ProfilePreference {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "profile_id")
    private CustomerProfile profile;

    /** email, sms, push or post (CHECK constraint in V2). */
    @Column(nullable = false, length = 16)
    private String channel;

    @Column(nullable = false, length = 64)
    private String topic;

    @Column(name = "opted_in", nullable = false)
    private boolean optedIn;

    /** Where the consent was captured: web, app, crm or import. */
    @Column(nullable = false, length = 32)
    private String source;

    @Column(name = "recorded_at", nullable = false, insertable = false, updatable = false)
    private Instant recordedAt;

    protected ProfilePreference() {
        // for JPA
    }

    public ProfilePreference(String channel, String topic, boolean optedIn, String source) {
        this.channel = channel;
        this.topic = topic;
        this.optedIn = optedIn;
        this.source = source;
    }

    public Long getId() { return id; }
    public CustomerProfile getProfile() { return profile; }
    void setProfile(CustomerProfile profile) { this.profile = profile; }
    public String getChannel() { return channel; }
    public String getTopic() { return topic; }
    public boolean isOptedIn() { return optedIn; }
    public String getSource() { return source; }
    public Instant getRecordedAt() { return recordedAt; }
}
