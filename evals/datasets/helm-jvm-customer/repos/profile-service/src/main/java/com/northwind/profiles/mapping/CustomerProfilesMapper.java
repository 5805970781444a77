package com.northwind.profiles.mapping;

import com.northwind.profiles.domain.CustomerProfile;
import com.northwind.profiles.domain.ProfilePreference;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;

/**
 * Maps entities to the public v2 DTOs. Pure in-memory mapping, no I/O.
 * The generated implementation is CustomerProfilesMapperImpl (build/generated).
 */
@Mapper(componentModel = "spring")
public interface CustomerProfilesMapper {

    record PreferenceDto(String channel, String topic, boolean optedIn, Instant recordedAt) {
    }

    record ProfileDto(UUID customerId, String displayName, String locale, boolean marketingOptIn,
                      String customerStatus, List<PreferenceDto> preferences) {
    }

    @Mapping(target = "customerStatus", ignore = true)
    ProfileDto toDto(CustomerProfile profile);

    PreferenceDto toDto(ProfilePreference preference);

    default ProfileDto withStatus(ProfileDto dto, String status) {
        return new ProfileDto(dto.customerId(), dto.displayName(), dto.locale(), dto.marketingOptIn(),
                status, dto.preferences());
    }
}
