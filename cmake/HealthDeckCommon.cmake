# One INTERFACE target carries the language standard, warnings and Qt defines.
# Every HealthDeck target links it, so the rules live in exactly one place.
add_library(healthdeck_common INTERFACE)
add_library(HealthDeck::common ALIAS healthdeck_common)

target_compile_features(healthdeck_common INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_definitions(healthdeck_common INTERFACE
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_STRICT_ITERATORS
    HEALTHDECK_VERSION="${PROJECT_VERSION}")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(healthdeck_common INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
    if(HEALTHDECK_WERROR)
        target_compile_options(healthdeck_common INTERFACE -Werror)
    endif()
elseif(MSVC)
    target_compile_options(healthdeck_common INTERFACE /W4 /permissive- /utf-8)
    if(HEALTHDECK_WERROR)
        target_compile_options(healthdeck_common INTERFACE /WX)
    endif()
endif()

# Build information shown by --version and the About box.
string(TIMESTAMP HEALTHDECK_BUILD_DATE "%Y-%m-%d" UTC)
target_compile_definitions(healthdeck_common INTERFACE
    HEALTHDECK_BUILD_INFO="${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}, ${CMAKE_BUILD_TYPE}, ${CMAKE_SYSTEM_NAME} ${CMAKE_SYSTEM_PROCESSOR}")
