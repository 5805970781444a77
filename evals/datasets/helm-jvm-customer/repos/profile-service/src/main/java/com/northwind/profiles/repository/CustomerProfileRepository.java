package com.northwind.profiles.repository;

import com.northwind.profiles.domain.CustomerProfile;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CustomerProfileRepository extends JpaRepository<CustomerProfile, Long> {

    @EntityGraph(attributePaths = "preferences")
    Optional<CustomerProfile> findByCustomerId(UUID customerId);

    boolean existsByCustomerId(UUID customerId);
}
