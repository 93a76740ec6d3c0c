# cmake -DGZIP=… -DIN=… -DOUT=… -P gzip.cmake: gzip -9n (no name, no timestamp) for man pages
# and the changelog, so packages are reproducible and lintian finds no timestamped gzip.
execute_process(COMMAND "${GZIP}" -9nc "${IN}" OUTPUT_FILE "${OUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${IN} failed: ${rc}")
endif()
