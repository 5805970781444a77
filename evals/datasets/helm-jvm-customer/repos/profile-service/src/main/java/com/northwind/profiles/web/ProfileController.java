package com.northwind.profiles.web;

import com.northwind.profiles.config.ArchiveProperties;
import com.northwind.profiles.mapping.CustomerProfilesMapper;
import com.northwind.profiles.mapping.CustomerProfilesMapper.ProfileDto;
import com.northwind.profiles.repository.CustomerLookupRepository;
import com.northwind.profiles.repository.CustomerProfileRepository;
import com.northwind.profiles.repository.ProfileSearchRepository;
import java.util.List;
import java.util.UUID;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/v2/profiles")
public class ProfileController {

    private final CustomerProfileRepository profiles;
    private final ProfileSearchRepository search;
    private final CustomerLookupRepository customerLookup;
    private final CustomerProfilesMapper mapper;
    private final ArchiveProperties archive;

    public ProfileController(CustomerProfileRepository profiles,
                             ProfileSearchRepository search,
                             CustomerLookupRepository customerLookup,
                             CustomerProfilesMapper mapper,
                             ArchiveProperties archive) {
        this.profiles = profiles;
        this.search = search;
        this.customerLookup = customerLookup;
        this.mapper = mapper;
        this.archive = archive;
    }

    /** Cached in Redis for 10 minutes (spring.cache.redis.time-to-live). */
    @GetMapping("/{customerId}")
    @Cacheable(cacheNames = "profile-by-customer", key = "#customerId")
    public ProfileDto get(@PathVariable UUID customerId) {
        var profile = profiles.findByCustomerId(customerId).orElseThrow(() -> notFound(customerId));
        var status = customerLookup.findStatus(customerId).orElse("unknown");
        return mapper.withStatus(mapper.toDto(profile), status);
    }

    @GetMapping("/search")
    public List<ProfileSearchRepository.Hit> search(@RequestParam("q") String query,
                                                    @RequestParam(defaultValue = "20") int limit) {
        if (query.length() < 3) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "q must be at least 3 characters");
        }
        return search.search(query, limit);
    }

    private ResponseStatusException notFound(UUID customerId) {
        String hint = archive.enabled() ? " (closed accounts: try /v1/archive)" : "";
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no profile for customer " + customerId + hint);
    }
}
