# candor_embed(OUT_VAR SYMBOL FILE)
# Generates a .cpp that defines `std::string_view candor::embedded::SYMBOL()` holding FILE's bytes,
# so the binary carries its schema and packs and works from any directory. The file is re-embedded
# whenever it changes.
function(candor_embed out_var symbol file)
  set(src "${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cpp")
  add_custom_command(
    OUTPUT "${src}"
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${src} -DSYMBOL=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake"
    DEPENDS "${file}" "${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake"
    COMMENT "Embedding ${file}")
  set(${out_var} "${src}" PARENT_SCOPE)
endfunction()
