# Precompiled headers (cmake/pch/): the Qt, standard library and nlohmann_json headers parsed
# once per target instead of once per file. On two cores this takes a large share off a cold
# build (CI builds everything cold, twice). Off with -DHEALTHDECK_PCH=OFF, e.g. to check that
# every file includes what it uses.
option(HEALTHDECK_PCH "Precompile the common Qt/STL/JSON headers" ON)

if(HEALTHDECK_PCH AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # Without it the .pch carries a time stamp and ccache cannot reuse objects built with it.
    target_compile_options(healthdeck_common INTERFACE "SHELL:-Xclang -fno-pch-timestamp")
endif()

# hd_precompile(<target> <header in cmake/pch>)
function(hd_precompile target header)
    if(HEALTHDECK_PCH)
        target_precompile_headers(${target} PRIVATE
            "$<$<COMPILE_LANGUAGE:CXX>:${PROJECT_SOURCE_DIR}/cmake/pch/${header}>")
    endif()
endfunction()

# hd_reuse_precompiled(<target> <target whose PCH it shares>)
function(hd_reuse_precompiled target from)
    if(HEALTHDECK_PCH)
        target_precompile_headers(${target} REUSE_FROM ${from})
    endif()
endfunction()
