# One INTERFACE target carries the language standard, warnings and Qt defines.
# Every HealthDeck target links it, so the rules live in exactly one place.
add_library(healthdeck_common INTERFACE)
add_library(HealthDeck::common ALIAS healthdeck_common)

target_compile_features(healthdeck_common INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

# QT_NO_CONTEXTLESS_CONNECT exists from Qt 6.7 on; Debian 12's Qt 6.4 ignores it, so it is not
# set here (a connect without a context object is caught in review instead).
target_compile_definitions(healthdeck_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_STRICT_ITERATORS)

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

# Version and build information shown by --version, the About box, HAR files and reports:
# a generated header (#include "healthdeck/version.h"), not compile definitions, so a version
# bump recompiles only the few files that include it. configure_file() rewrites the header
# only when its text changes.
set(HEALTHDECK_BUILD_INFO
    "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}, ${CMAKE_BUILD_TYPE}, ${CMAKE_SYSTEM_NAME} ${CMAKE_SYSTEM_PROCESSOR}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
               ${PROJECT_BINARY_DIR}/generated/healthdeck/version.h @ONLY)
target_include_directories(healthdeck_common INTERFACE ${PROJECT_BINARY_DIR}/generated)
