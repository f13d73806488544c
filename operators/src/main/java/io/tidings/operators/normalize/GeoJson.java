package io.tidings.operators.normalize;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code geo} column's small JSON object, the same shape for every platform:
 * {@code {"type":"Point","coordinates":[lon,lat],"place":"Cardiff, Wales","place_id":"...",
 * "country_code":"GB"}}, each member only when known (GeoJSON order: longitude first).
 */
final class GeoJson {
    private GeoJson() {}

    /** The JSON text, or null when nothing is known. */
    static String of(Double longitude, Double latitude, String placeName, String placeId, String countryCode) {
        boolean point = longitude != null && latitude != null
                && Math.abs(longitude) <= 180 && Math.abs(latitude) <= 90;
        if (!point && placeName == null && placeId == null && countryCode == null) {
            return null;
        }
        ObjectNode geo = JsonNodeFactory.instance.objectNode();
        if (point) {
            geo.put("type", "Point");
            geo.putArray("coordinates").add(longitude).add(latitude);
        }
        if (placeName != null) {
            geo.put("place", placeName);
        }
        if (placeId != null) {
            geo.put("place_id", placeId);
        }
        if (countryCode != null) {
            geo.put("country_code", countryCode);
        }
        return geo.toString();
    }
}
